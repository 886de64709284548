"""Sending e-mail: through the SMTP server of MAIL_SERVER, or, without one, into MAIL_FOLDER.

The standard library's smtplib does all the CRM needs (plain text, one recipient per message);
a mail extension would add a dependency for nothing.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from crm.clock import utcnow

log = logging.getLogger(__name__)


def build_message(config: dict[str, Any], to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="cultivate")
    message.set_content(body)  # UTF-8: Chinese text and names travel as they are
    return message


def send_message(config: dict[str, Any], message: EmailMessage) -> None:
    if not config.get("MAIL_SERVER"):
        _write_to_folder(Path(config["MAIL_FOLDER"]), message)
        return
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT_SECONDS"]
    context = ssl.create_default_context()  # the server's certificate is checked
    smtp = (
        smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        if config.get("MAIL_USE_SSL")
        else smtplib.SMTP(host, port, timeout=timeout)
    )
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_folder(folder: Path, message: EmailMessage) -> None:
    """Development and demos: each mail is an .eml file any mail program opens."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    recipient = str(message["To"]).replace("@", "_at_").replace("/", "_")
    path = folder / f"{stamp}-{recipient}.eml"
    path.write_bytes(bytes(message))
    log.info("Mail to %s written to %s (no MAIL_SERVER set)", message["To"], path)
