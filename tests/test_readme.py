from search.config import SETTINGS
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.env


def test_readme_leads_with_the_two_commands():
    assert README.index("make run") < README.index("steppe-index build")
    assert "make test" in README


def test_ci_calls_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()
