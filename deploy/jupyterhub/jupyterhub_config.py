"""JupyterHub for a class that studies with quizapp, on one Linux machine.

Each student logs in to the hub with their own account; the hub starts their Jupyter server
as that account (LocalProcessSpawner: the hub runs as root), so every student's files, and
their quizapp progress (~/.local/share/quizapp/progress.db), stay in their own home.

quizapp needs nothing here: installed with its `[hub]` extra in the Python the students'
servers run, it registers a jupyter-server-proxy entry, so JupyterLab's launcher shows
"quizapp", which runs `quizapp serve --socket ...` as the student, behind the student's
own logged-in server. See docs/hosting.md for TLJH, Kubernetes, sandboxes and limits.

Start it as root, after `mkdir -m 700 /srv/jupyterhub` (the hub's own state):
    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py
configurable-http-proxy must be on PATH (npm install -g configurable-http-proxy), and the
Python the students' servers run needs `pip install jupyterlab 'quizapp[hub]'`.
"""

# ruff: noqa: F821  (JupyterHub runs this file with `c` and `get_config` defined)

c = get_config()

# Only this computer reaches the hub; put a TLS proxy (nginx, caddy, traefik) in front of it.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:8081"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"

# State of the hub itself, readable by root only.
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"

# Login: the machine's own accounts (PAM). For a university, an OAuthenticator (e.g.
# GenericOAuthenticator against the campus login) is the usual choice; LocalAuthenticator's
# create_system_users can then make the Unix accounts on first login.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set()  # fill in, or use allowed groups / allow_all
c.Authenticator.admin_users = set()

# One Unix account per student: the isolation quizapp relies on (its socket is 0600 and it
# refuses other uids). Never SimpleLocalProcessSpawner here: it runs everyone as one uid.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60

# Per-student limits. LocalProcessSpawner does not enforce these; systemdspawner (what
# The Littlest JupyterHub uses) and KubeSpawner do. quizapp's sandbox caps each code check
# on its own (2 GB address space, CPU and wall-clock time).
c.Spawner.mem_limit = "2G"
c.Spawner.cpu_limit = 1.0

# Stop idle servers (and with them quizapp) with jupyterhub-idle-culler, if installed:
#   pip install jupyterhub-idle-culler
# c.JupyterHub.services = [{"name": "idle-culler",
#     "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"]}]
# c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
#     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
