"""Sending e-mail over SMTP (or to the log in development)."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

log = logging.getLogger("kopa.mail")


def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = formataddr(("", to))
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="kopa.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def deliver(message: EmailMessage) -> None:
    """Hand one message to the SMTP server; raises on failure so callers can retry."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "log":
        log.info("E-mail (not sent, MAIL_BACKEND=log):\n%s", message.as_string())
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def send_templated(to: str, locale: str, template: str, subject_fn, **context) -> None:
    """Render email/<template>.txt and .html in the recipient's language and send them."""
    with force_locale(locale):
        subject = str(subject_fn())
        text = render_template(f"email/{template}.txt", lang=locale, **context)
        html = render_template(f"email/{template}.html", lang=locale, subject=subject, **context)
    deliver(build_message(to, subject, text, html))
