from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Django's model backend, where an active administrator holds every permission."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if user_obj.is_active and getattr(user_obj, "role", None) == "administrator":
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        if user_obj.is_active and getattr(user_obj, "role", None) == "administrator":
            return True
        return super().has_module_perms(user_obj, app_label)
