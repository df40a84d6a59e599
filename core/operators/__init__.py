"""The operator's console: platform staff above the organisations (issue 19).

Operators are rows of their own (`core_operator`), never `core_user`: being an operator makes nobody a
member of an organisation, and an organisation's session never opens the console."""
