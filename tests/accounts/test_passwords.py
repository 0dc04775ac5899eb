"""Password hashes: argon2id at OWASP's cost, older hashes upgraded at sign-in."""

import threading

from argon2 import PasswordHasher

from app.accounts import services
from app.accounts.models import User
from tests.factories import PASSWORD, create_user


def test_new_hashes_are_argon2id_with_19_mib_two_passes_one_lane():
    hashed = services.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_the_old_default_cost_still_signs_in_and_is_upgraded(db, balvu):
    user = create_user(email="old@example.lv")
    user.password_hash = PasswordHasher().hash(PASSWORD)  # 64 MiB, t=3, p=4
    db.session.commit()
    assert services.authenticate("old@example.lv", PASSWORD) is not None
    db.session.commit()
    db.session.expire_all()
    upgraded = db.session.get(User, user.id).password_hash
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert services.authenticate("old@example.lv", "wrong password") is None
    assert services.authenticate("nobody@example.lv", PASSWORD) is None


def test_hashes_are_made_one_at_a_time_per_process(monkeypatch):
    running = 0
    most = 0
    lock = threading.Lock()

    class CountingHasher(PasswordHasher):
        def hash(self, password, *, salt=None):
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            try:
                return super().hash(password, salt=salt)
            finally:
                with lock:
                    running -= 1

    monkeypatch.setattr(services, "hasher", CountingHasher(time_cost=2, memory_cost=19 * 1024))
    threads = [
        threading.Thread(target=services.hash_password, args=(f"password {n}",)) for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1
