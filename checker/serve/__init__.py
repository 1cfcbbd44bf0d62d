"""``mtlint serve``: the editor's page and two HTTP APIs over one warm engine.

* ``checker.serve.checking``: the ``Checker`` that owns one ``Session`` (rules,
  tables and the grammar backend loaded once) and runs every check on one
  worker thread, with per-request select/ignore;
* ``checker.serve.languagetool``: LanguageTool's ``/v2`` wire format
  (annotated text in, matches with UTF-16 offsets out), no web framework;
* ``checker.serve.app``: the ASGI application (FastAPI): routes, limits,
  the bearer token, access logs; needs the ``serve`` extra;
* ``checker.serve.command``: the ``mtlint serve`` sub-command.

Only ``app`` imports FastAPI; ``mtlint serve`` without the extra exits 2
naming ``pip install 'mtlint[serve]'``.
"""
