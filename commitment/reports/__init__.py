"""The annual progress report: figures from every app's registered sections, rendered to a
PDF by a worker (`commitment.reports.work`), and shown on the HR figures page.

Nothing here imports an app: each app registers its `ReportSection`s in `portal.registry`.
"""
