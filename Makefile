# The two commands of the README: `make test` and `make demo`. Each sets itself up on a fresh machine.
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: test demo venv clean

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

demo: $(STAMP)
	$(PY) -m examples.autograd_walkthrough

clean:
	rm -rf .venv build *.egg-info .pytest_cache .hypothesis
