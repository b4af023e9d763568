from django.contrib.auth.backends import BaseBackend

from portal import permissions


class AdministratorGroupBackend(BaseBackend):
    """Members of the Administrator group may do everything, as superusers can."""

    def has_perm(self, user_obj, perm, obj=None):
        return permissions.is_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return permissions.is_admin(user_obj)
