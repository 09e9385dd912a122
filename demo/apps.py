from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development data only: the demo organisation (`seed_demo`) and the scale organisation for
    benchmarks (`seed_scale`). Installed by the local and test settings, in production only with
    `SAMTALE_DEMO=1` (e.g. a throwaway server for load or API tests); nothing else imports it."""

    name = "demo"
