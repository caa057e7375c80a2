"""The entrants' writes, one module per room: teams and invitations (``teams``), documents
(``documents``), applications (``applications``), the staff's review and fees (``review``),
and the checks before and at each meeting (``checks``). Each write is keyword-only and
atomic; the public pages, the back office and the commands call these."""
