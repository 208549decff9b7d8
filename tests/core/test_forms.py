from apps.core.forms import MultilineField


def test_a_textarea_s_line_breaks_are_kept_as_newlines_whatever_the_browser_sends():
    field = MultilineField(required=False)

    assert field.clean("Rooms for women.\r\nAn interpreter on call.\rCall first.") == (
        "Rooms for women.\nAn interpreter on call.\nCall first."
    )
    assert field.clean("") == ""
