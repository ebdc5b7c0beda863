# The two commands of the README: `make test` and `make demo`. Each sets itself up on a fresh machine.
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: test demo bench venv clean

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	@# graphviz renders graphs; chromium runs the browser test (both optional: their tests skip without them)
	@command -v dot >/dev/null && command -v chromium >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    (apt-get update -qq && apt-get install -y -qq graphviz chromium >/dev/null) ; } || \
	  echo "note: graphviz/chromium not installed; graph rendering and browser tests will be skipped"
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

demo: $(STAMP)
	$(PY) -m examples demo

bench: $(STAMP)
	$(PY) -m pytest benchmarks/test_bench.py -q --benchmark-only --benchmark-min-rounds=5 \
	  --benchmark-json=benchmarks/results/$$(date +%F)-pytest-benchmark.json
	$(PY) -m benchmarks.report --runs 5

clean:
	rm -rf .venv build *.egg-info .pytest_cache .hypothesis
