"""The collections API: thin views, an input and an output serializer each, services do the work."""
