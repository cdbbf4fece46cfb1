"""Reads about prospective adopters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from safehold.adoption.models import AdopterHousehold


def households(*, current_only: bool = True) -> QuerySet[AdopterHousehold]:
    qs = AdopterHousehold.objects.prefetch_related("adopters").order_by("-enquiry_on", "-pk")
    if current_only:
        qs = qs.filter(left_on__isnull=True, adoption_order_on__isnull=True)
    return qs


def household(*, pk: int) -> AdopterHousehold:
    return get_object_or_404(AdopterHousehold.objects.prefetch_related("adopters"), pk=pk)
