"""The load bench's pure pieces (bench/): parsing what pages send, the room mode's plan and tally; no server."""
