import pytest

from jobs.runtime.config import ConfigError, config_from_arguments, parse_arguments, resolve_config
from jobs.runtime.entry import runs_on_glue


def test_arguments_win_over_environment_which_wins_over_defaults(tmp_path):
    argv = ["script.py", "--lake_root", str(tmp_path / "a"), "--gold_uri=s3://gold-bucket/"]
    environ = {"SDL_LAKE_ROOT": str(tmp_path / "ignored"), "SDL_SILVER_URI": "s3://silver-bucket"}
    config = resolve_config(argv, environ)
    assert config.gold_uri == "s3://gold-bucket"
    assert config.silver_uri == "s3://silver-bucket"
    assert config.bronze_uri == str(tmp_path / "a" / "bronze")
    assert config.quality_mode == "enforce"


def test_glue_style_arguments_are_parsed_and_unknown_ones_kept_apart():
    argv = ["x.py", "--JOB_NAME", "j", "--job-bookmark-option", "job-bookmark-enable", "--flag"]
    assert parse_arguments(argv) == {"JOB_NAME": "j", "job-bookmark-option": "job-bookmark-enable", "flag": ""}


def test_an_unusable_quality_mode_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="quality_mode must be one of"):
        resolve_config(["--quality_mode", "sometimes"], {})


def test_config_is_frozen(tmp_path):
    config = resolve_config(["--lake_root", str(tmp_path)], {})
    with pytest.raises(AttributeError):
        config.gold_uri = "elsewhere"


def test_glue_is_recognized_by_its_job_run_id():
    assert runs_on_glue(["--JOB_NAME", "j", "--JOB_RUN_ID", "jr_1"])
    assert not runs_on_glue(["--lake_root", "lake"])


def test_the_job_size_a_run_is_priced_at_comes_from_its_arguments(tmp_path):
    default = config_from_arguments({"lake_root": str(tmp_path)})
    assert (default.worker_type, default.number_of_workers) == ("G.1X", 2)
    sized = config_from_arguments({"lake_root": str(tmp_path), "worker_type": "G.2X", "number_of_workers": "10"})
    assert (sized.worker_type, sized.number_of_workers) == ("G.2X", 10)
    with pytest.raises(ConfigError, match="--number_of_workers must be a whole number of at least 1, got '0'"):
        config_from_arguments({"lake_root": str(tmp_path), "number_of_workers": "0"})
    with pytest.raises(ConfigError, match="--worker_type must be one of"):
        config_from_arguments({"lake_root": str(tmp_path), "worker_type": "G.3X"})
