"""Who evaluates: panel composition rules per framework, the conflict-of-interest check before anyone is invited, recusal and challenge, assignment."""
