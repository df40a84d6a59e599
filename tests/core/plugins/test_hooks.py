"""Each hook reaches only the plugins it concerns: activation hooks the (de)activated plugin, office hooks
and events the plugins active there; start-up hooks (calendar sources, jobs) every healthy plugin."""

import sys

from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office, order_modules


def calls(plugin_id: str) -> list:
    return sys.modules[f"socle_test_{plugin_id}.hooks"].CALLS


async def test_activation_deactivation_and_events_reach_only_the_concerned_plugins(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe")
    order = await order_modules(client, headers, (org.office_id, "alpha", "activate"))
    assert calls("alpha") == [("activated", org.office_id), ("event", "ModuleActivated", org.office_id),
                              ("event", "OrderPlaced", None)]
    assert calls("beta") == [] and calls("gamma") == []
    assert order["number"] == 1
    calls("alpha").clear()
    await order_modules(client, headers, (second, "beta", "activate"))
    assert calls("alpha") == [("event", "OrderPlaced", None)]  # organisation-wide event, alpha active elsewhere
    assert calls("beta") == [("activated", second), ("event", "ModuleActivated", second),
                             ("event", "OrderPlaced", None)]
    calls("alpha").clear()
    await order_modules(client, headers, (org.office_id, "alpha", "deactivate"))
    assert calls("alpha") == [("deactivated", org.office_id)]  # inactive now: no more events


async def test_menu_hook_is_called_only_for_the_office_where_active(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    await add_office(client, headers, "Annexe")
    await order_modules(client, headers, (org.office_id, "alpha", "activate"))
    await login(client, org.owner_email)
    await client.get("/dashboard")
    assert ("menu", org.office_id) in calls("alpha")
    assert [c for c in calls("beta") if c[0] == "menu"] == []


async def test_calendar_sources_and_jobs_are_collected_from_healthy_plugins(app):
    manager = app.state.plugins
    assert sorted(s.key for s in manager.calendar_sources()) == ["alpha.guichet", "beta.guichet", "gamma.guichet"]
    # the shipped modules' own jobs
    real = ("rdv_service_public.", "formation_cqc.", "certification_robert.", "passerelle_examens.")
    jobs = {job.name: job for job in manager.jobs() if not job.name.startswith(real)}
    assert set(jobs) == {"alpha.sync", "beta.sync", "gamma.sync"} and jobs["alpha.sync"].every_seconds == 60
    await jobs["alpha.sync"].handler({"n": 1})
    assert calls("alpha")[-1] == ("job", {"n": 1})


async def test_permissions_from_manifest_and_hook_are_registered(app):
    permissions = app.state.plugins.permissions
    assert {"alpha.manage", "alpha.view"} <= set(permissions)
    assert permissions["alpha.manage"].role.value == "admin" and permissions["alpha.view"].role.value == "basic"


async def test_templates_are_namespaced_per_plugin(app):
    manager = app.state.plugins
    assert "Widget pour X" in manager.render_fragment("alpha/widget.html", {"name": "X"})
    assert 'class="widget-beta"' in manager.render_fragment("beta/widget.html", {"name": "X"})
    assert 'class="widget-alpha"' in manager.render_fragment("alpha/widget.html", {"name": "X"})
    assert manager.env.get_template("layout.html").filename.endswith("templates/layout.html")


async def test_plugin_periodic_job_is_run_by_the_worker(app, settings):
    """`register_jobs` feeds the worker: a periodic job runs once per period, across workers."""
    from core.testing.fixtures import deliver_outbox

    await deliver_outbox(settings, app.state.jobs)
    assert [c for c in calls("alpha") if c[0] == "job"]
    runs = len([c for c in calls("alpha") if c[0] == "job"])
    await deliver_outbox(settings, app.state.jobs)  # same period: not run again
    assert len([c for c in calls("alpha") if c[0] == "job"]) == runs
