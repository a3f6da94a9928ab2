"""``mnistpad paths``: every place, from the functions that really write there."""

from __future__ import annotations

import json

from mnistpad.core.platform.places import PLACES


def test_paths_json_names_every_place_under_the_user_folder(cli, mnistpad_home):
    status, out, _ = cli("paths", "--json")
    assert status == 0
    found = json.loads(out)
    assert tuple(found) == PLACES
    for name in ("models", "samples", "settings", "cache", "log", "data"):
        assert found[name]["path"].startswith(str(mnistpad_home)), name
    assert found["data"]["source"] == "default"
    assert found["log"]["path"].endswith("mnistpad.log")
    assert found["shipped"]["exists"]


def test_paths_says_where_the_data_folder_came_from(cli, mnist_dir, monkeypatch):
    monkeypatch.setenv("MNISTPAD_DATA", str(mnist_dir))
    status, out, _ = cli("paths", "--json")
    assert json.loads(out)["data"] == {"path": str(mnist_dir), "exists": True,
                                       "source": "MNISTPAD_DATA"}
    status, out, _ = cli("paths")
    assert status == 0
    line = next(line for line in out.splitlines() if line.startswith("data"))
    assert str(mnist_dir) in line and "from MNISTPAD_DATA" in line


def test_a_written_model_lands_where_paths_says(cli, mnistpad_home):
    from mnistpad.core.platform.paths import user_models_dir

    user_models_dir().mkdir(parents=True)
    _, out, _ = cli("paths", "--json")
    assert json.loads(out)["models"] == {"path": str(user_models_dir()), "exists": True}
