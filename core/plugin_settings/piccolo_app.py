from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.plugin_settings.tables import PluginOrganisationSetting, PluginProblem, PluginSetting

APP_CONFIG = AppConfig(
    app_name="core_plugin_settings",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[PluginSetting, PluginOrganisationSetting, PluginProblem],
)
