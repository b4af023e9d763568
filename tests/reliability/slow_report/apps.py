"""A report section that waits while the file named by SLOW_REPORT_FLAG exists (at most a
minute): it plugs in through the registry, as every app's sections do."""

import os
import time
from pathlib import Path

from django.apps import AppConfig

MAX_WAIT = 60


def slow_figures(year: int) -> dict:
    flag = os.environ.get("SLOW_REPORT_FLAG", "")
    deadline = time.monotonic() + MAX_WAIT
    while flag and Path(flag).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return {"waited": True}


class SlowReportConfig(AppConfig):
    name = "tests.reliability.slow_report"
    label = "slow_report"

    def ready(self) -> None:
        from portal import registry

        registry.register_report_section(
            registry.ReportSection(
                name="slow",
                title="A slow section",
                figures=slow_figures,
                template="portal/reports/_section_body.html",
                order=999,
            )
        )
