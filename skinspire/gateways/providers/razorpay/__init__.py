"""Razorpay (Payment Gateway + RazorpayX). Settings name it by this package's dotted path."""

from skinspire.gateways.providers.razorpay.provider import RazorpayProvider

__all__ = ["RazorpayProvider"]
