"""The pure cleaner: the stages ``newsclean.api.clean_article`` runs, raw page -> Draft -> Article.

No I/O and no state between calls. Modules here import only each other, the base modules (``errors``,
``models``, ``text``, ``phrases``) and the family registry (``newsclean.sites``); never ``api``, ``net`` or
``corpus``.
"""
