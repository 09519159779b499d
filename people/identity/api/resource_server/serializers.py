"""What a service sees of its user: the user and their organization, read-only."""

from __future__ import annotations

from rest_framework import serializers

from people.identity.models import Organization, User


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "registration_id_list"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "language", "timezone", "organization", "is_device", "is_staff"]
        read_only_fields = fields
