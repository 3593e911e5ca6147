from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The staff workspace: the pages people at a hospital's accounts desk work in. It reads
    through the apps' selectors and acts through their API; it holds no business rules."""

    name = "skinspire.workspace"
    label = "workspace"
