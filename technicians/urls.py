app_name = "technicians"

urlpatterns: list = []
