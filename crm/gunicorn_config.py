"""gunicorn settings, loaded with `gunicorn -c python:crm.gunicorn_config app:app`.

gunicorn names itself in every response's Server header and in the WSGI SERVER_SOFTWARE (with its
version): a scanner reads which release to attack from the first answer. The config module runs
in the master before the workers fork, so renaming the server here renames it in every worker.
"""

import gunicorn
import gunicorn.http.wsgi

SERVER_NAME = "cultivate"  # no product of ours to look up, and no version

gunicorn.SERVER = gunicorn.SERVER_SOFTWARE = SERVER_NAME
# The response module copied both names when it was imported: rename them where they are read.
gunicorn.http.wsgi.SERVER = gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_NAME
