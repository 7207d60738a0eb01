from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import path


@login_required
@permission_required("blog.view_post", raise_exception=True)
def secret(request):
    # Anonymous: 302 to the login page (login_required); logged in without the permission: 403.
    return HttpResponse("the secret")


urlpatterns = [
    path("accounts/login/", LoginView.as_view()),
    path("secret/", secret),
]
