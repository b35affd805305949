from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence files: content-addressed bytes, derivatives, downloads and the chain of custody."""

    name = "evidence"
    verbose_name = _("Evidence files")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from events.demo import demo_loaded
        from evidence.demo import add_demo_files
        from evidence.models import EvidenceFile
        from evidence.storage import forget_unlinked_blob

        # Purging a file (or the case it hangs off) removes its bytes once nothing links them.
        post_delete.connect(forget_unlinked_blob, sender=EvidenceFile, dispatch_uid="evidence_forget_blob")
        # The demo case (casework) cannot import this app: it announces itself, the photo follows.
        demo_loaded.connect(add_demo_files, dispatch_uid="evidence_demo_files")
