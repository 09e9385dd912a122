"""Who may see and do what on a conversation: the only place that grants, revokes and checks rights, and
the deputies who act for a leader."""
