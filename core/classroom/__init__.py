"""The classroom, as plain data (no Streamlit here: the pages draw what these return).

`lessons.py` holds the seven lessons of the Lessons page; `predictions.py` the questions, the runs'
answers and their comparison. The rooms of a class have their own modules beside them.
"""
