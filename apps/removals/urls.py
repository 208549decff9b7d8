app_name = "removals"

urlpatterns: list = []
