import inspect

import factory

from ascn_portal.accounts.enums import Role
from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import create_account

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified e-mail address, created the way the portal creates them."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@ascn.example")
    full_name = factory.Faker("name")
    role = Role.DELEGATE
    language = "en"
    time_zone = "Asia/Jakarta"
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Fields the sign-up service does not set (is_active…) are applied afterwards.
        email = kwargs.pop("email")
        service_args = {
            name: kwargs.pop(name)
            for name in list(kwargs)
            if name in inspect.signature(create_account).parameters
        }
        user = create_account(email, **service_args)
        if kwargs:
            for name, value in kwargs.items():
                setattr(user, name, value)
            user.save(update_fields=list(kwargs))
        return user
