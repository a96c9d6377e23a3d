from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "heard.channels"
    label = "channels"
    verbose_name = "Channels in: email, Open311, phone records, old cases"
