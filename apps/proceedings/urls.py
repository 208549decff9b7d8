app_name = "proceedings"

urlpatterns: list = []
