"""What waits on whom and telling them: the e-mail notifications, reminders and calendar invitations."""
