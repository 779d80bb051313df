"""What the protocol client reads from the page's elements and sends for widgets (no server)."""

from streamlit.proto.Element_pb2 import Element

from bench.streamlit_client import StreamlitSession, int_value, picked, text_value


def drawn(*elements: Element) -> StreamlitSession:
    session = StreamlitSession("ws://127.0.0.1:1", "test")
    for element in elements:
        session._element(element)
    return session


def test_a_code_block_s_text_is_kept_to_read_a_link_from():
    element = Element()
    element.code.code_text = "http://127.0.0.1/Class?room=KX4P"
    assert drawn(element).view.texts == ["http://127.0.0.1/Class?room=KX4P"]


def test_a_page_link_is_kept_with_its_query_string():
    element = Element()
    element.page_link.page = "Train"
    element.page_link.query_string = "epochs=3"
    assert drawn(element).view.links == [("Train", "epochs=3")]


def submit_button(form: str) -> Element:
    """A form's submit button as a delta carries it: an id, its form, no key."""
    element = Element()
    element.button.id = "$$ID-0123abcd-None"
    element.button.form_id = form
    element.button.is_form_submitter = True
    return element


def test_a_forms_submit_button_is_found_by_its_form_though_it_has_no_key():
    view = drawn(submit_button("class_join")).view
    assert view.submitters == {"class_join": "$$ID-0123abcd-None"}
    assert view.widgets == {}


def test_a_full_run_forgets_the_forms_and_links_of_the_previous_one():
    view = drawn(submit_button("class_join")).view
    view.links.append(("Train", "epochs=3"))
    view.start_full_run()
    assert (view.submitters, view.links) == ({}, [])


def test_widget_states_carry_text_an_integer_and_picked_options():
    assert text_value("w1", "KX4P").string_value == "KX4P"
    assert int_value("w2", 3).int_value == 3
    assert list(picked("w3", ["16", "64"]).string_array_value.data) == ["16", "64"]
