"""Stories: online cross-lingual clustering of articles into stories, and per-outlet coverage.

:mod:`.clusterer` places articles (``learn_one`` / ``predict_one``), :mod:`.index` finds the
candidates, :mod:`.storage` keeps stories beside the store's tables, :mod:`.coverage` says who
reports what, and :mod:`.api` is the one-dict-per-resource API the CLI and the web use.
"""
