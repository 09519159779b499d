from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """1-based pages of 20 by default; `page_size` honoured up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        """A `page_size` that is not a positive integer is refused (DRF would fall back silently)."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: [f"A positive integer is required (at most {self.max_page_size})."]})
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Rows per page (default {self.page_size}, at most {self.max_page_size})"
        return parameters
