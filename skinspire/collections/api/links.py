"""Payment links for bills: `POST /api/gateway/create-payment-link` (a bill; the route is skinspire/link_api.py's), list, cancel, resend."""

from decimal import Decimal

import qrcode
import qrcode.image.svg
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from skinspire.collections import selectors
from skinspire.collections.api.bills import READERS, WRITERS
from skinspire.collections.api.payments import MAX_ID
from skinspire.collections.models import EXPIRY_HOURS
from skinspire.collections.services.links import payment_link_cancel, payment_link_create, payment_link_resend
from skinspire.core.api import AmountField


def page_url(request, link) -> str:
    return request.build_absolute_uri(reverse("collections-link-page", args=[link.token]))


class PaymentLinkOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    bill_id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The patient's page for this link (no login).")
    gateway_url = serializers.CharField()
    provider = serializers.CharField(source="source")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.CharField()
    expires_at = serializers.DateTimeField()

    def get_url(self, link) -> str:
        return page_url(self.context["request"], link)


class PaymentLinkCreateInputSerializer(serializers.Serializer):
    bill_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = AmountField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        default=None,
    )
    expire_in_hours = serializers.ChoiceField(choices=EXPIRY_HOURS)
    notify = serializers.ListField(
        child=serializers.ChoiceField(choices=["email", "sms"]), required=False, default=list, max_length=2
    )


def bill_link_create_response(request) -> Response:
    """A hosted payment link for (part of) what is open on a patient's bill: the body of
    `POST /api/gateway/create-payment-link` with `bill_id` (routed by skinspire/link_api.py)."""
    serializer = PaymentLinkCreateInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    bill = selectors.bill_get(user=request.user, bill_id=data["bill_id"])
    link = payment_link_create(
        actor=request.user,
        bill=bill,
        amount=data["amount"],
        expire_in_hours=data["expire_in_hours"],
        notify_email="email" in data["notify"],
        notify_sms="sms" in data["notify"],
        callback_url_for=lambda link: request.build_absolute_uri(
            reverse("collections-link-return", args=[link.token])
        ),
    )
    return Response(PaymentLinkOutputSerializer(link, context={"request": request}).data, status=201)


class PaymentLinkListApi(APIView):
    """`GET /api/payment-links`: links of your branches, newest first (`?bill_id=` narrows)."""

    permission_classes = [READERS]

    class FilterSerializer(serializers.Serializer):
        bill_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    @extend_schema(operation_id="payment_link_list", parameters=[OpenApiParameter("bill_id", int, required=False)],
                   responses=PaymentLinkOutputSerializer(many=True))  # fmt: skip
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        links = selectors.payment_link_list(user=request.user, bill_id=filters.validated_data.get("bill_id"))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(links, request, view=self)
        data = PaymentLinkOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class PaymentLinkCancelApi(APIView):
    permission_classes = [WRITERS]

    @extend_schema(operation_id="payment_link_cancel", request=None, responses=PaymentLinkOutputSerializer)
    def post(self, request, link_id: int):
        link = payment_link_cancel(
            actor=request.user, link=selectors.payment_link_get(user=request.user, link_id=link_id)
        )
        return Response(PaymentLinkOutputSerializer(link, context={"request": request}).data)


class PaymentLinkResendApi(APIView):
    permission_classes = [WRITERS]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "link_resend"

    @extend_schema(operation_id="payment_link_resend", request=None, responses=PaymentLinkOutputSerializer)
    def post(self, request, link_id: int):
        link = selectors.payment_link_get(user=request.user, link_id=link_id)
        payment_link_resend(actor=request.user, link=link, page_url=page_url(request, link))
        return Response(PaymentLinkOutputSerializer(link, context={"request": request}).data)


class PaymentLinkQrApi(APIView):
    """`GET /api/payment-links/<id>/qr`: an SVG QR code of the patient's page, for the bill
    page and the printed bill, so a patient at the counter can pay by scanning it."""

    permission_classes = [READERS]

    @extend_schema(operation_id="payment_link_qr", responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    def get(self, request, link_id: int):
        link = selectors.payment_link_get(user=request.user, link_id=link_id)
        image = qrcode.make(page_url(request, link), image_factory=qrcode.image.svg.SvgPathImage)
        return HttpResponse(image.to_string(), content_type="image/svg+xml")
