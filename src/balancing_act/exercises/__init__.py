"""Exercise checks, one module per lesson (``lesson01``: ``ex.q1.check(answer)``)."""
