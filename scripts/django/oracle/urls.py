"""No views yet: the oracle is used from scripts, not served."""

urlpatterns = []
