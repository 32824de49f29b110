"""Mail: invitations, updates and cancels with iTIP, minutes and task reminders, sent
through the office's SMTP server, one recipient per message, with a send log.

The face of the package (what other modules import):

- `settings`: `mail_settings(config)`, `mail_configured(config)`
- `invitations`: `plan_invitation`, `plan_cancel`, `mark_invited`
- `minutes`: `plan_minutes`; `reminders`: `plan_reminders`
- `sending`: `send_plan`, `write_drafts`, `send_one`, `Plan`, `Outcome`, `MailError`
- `log`: `log_records`, `forget_addresses`; `withdrawals`: `withdraw`, `allow`

Plans are built in one transaction and sent after it; every accepted message is logged
in a transaction of its own (`sending`), so nothing is marked sent that was not.
"""
