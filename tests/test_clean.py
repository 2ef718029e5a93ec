from indexer.clean import (
    clean_body,
    drop_repeated_lines,
    drop_ticker_lines,
    expand_shortcodes,
    is_pager_line,
    normalize_whitespace,
)


def test_ticker_lines_removed():
    lines = ["• KGS/USD = 0.01156 -0%", "  • KZT/USD = 0.00199 -0%", "  • TJS/USD = 0.09174 0.33%", "Real text"]
    assert drop_ticker_lines(lines) == ["Real text"]


def test_pager_lines_recognised():
    assert is_pager_line("Viewing results 1 - 6 of 1")
    assert not is_pager_line("Viewing the results of the vote")


def test_caption_text_kept_tags_dropped():
    text = 'Dam. [caption id="attachment_1" align="aligncenter" width="683"] Engineers at Rogun.[/caption] More.'
    out = expand_shortcodes(text)
    assert "Engineers at Rogun." in out and "[" not in out and "caption" not in out


def test_repeated_chrome_lines_removed_but_blank_lines_kept():
    lines = ["Menu", "Story one", "Menu", "", "Menu", "Story two"]
    assert drop_repeated_lines(lines) == ["Story one", "", "Story two"]


def test_clean_body_entities_and_whitespace():
    assert clean_body("Tokayev&nbsp;said   &laquo;yes&raquo;\n\n\n\nNext") == "Tokayev said «yes»\n\nNext"
    assert normalize_whitespace("  a \t b  ") == "a b"
