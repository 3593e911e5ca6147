"""One Excel export for every reconciliation changelist: the rows the filters show, as xlsx."""

from import_export.admin import ExportMixin
from import_export.formats import base_formats


class ExcelExportMixin(ExportMixin):
    export_formats = [base_formats.XLSX]
    skip_export_form = True  # one click: the changelist's filtered rows, every column

    def has_export_permission(self, request):
        # django-import-export allows any staff user unless a setting names a permission;
        # here exporting needs what reading the list needs.
        return self.has_view_permission(request)
