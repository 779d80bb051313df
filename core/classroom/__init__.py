"""The classroom, as plain data (no Streamlit here: the pages draw what these return).

`lessons.py` holds the seven lessons of the Lessons page; `predictions.py` the questions, the runs'
answers and their comparison; `rooms.py` a class's rooms (codes, the teacher key, nicknames, what the
class asked to train, the assignment, the room's lesson and its predictions, every teacher-only check);
`board.py` the class board drawn from them (the overlay, the assignment's grid, the predictions' tally)
and `report.py` the teacher's class report.
"""
