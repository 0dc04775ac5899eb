"""What every form view answers when it sends a form back."""


def refused_status(*forms) -> int:
    """400 when a form's CSRF token failed (the request itself is bad); 422 when the content
    only needs correcting, and the page shows the errors beside the values typed."""
    return 400 if any("csrf_token" in form.errors for form in forms) else 422
