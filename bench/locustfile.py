"""Locust load of one path over kept-alive connections, for `bench.run`.

BENCH_PATH is the path, BENCH_HEADERS a JSON object of headers (session cookie or bearer token).
FastHttpUser keeps one connection per simulated user, as browsers and the suite's services do.
"""

import json
import os

from locust import FastHttpUser, constant, task


class Caller(FastHttpUser):
    wait_time = constant(0)
    path = os.environ.get("BENCH_PATH", "/api/v1.0/config/")
    headers = json.loads(os.environ.get("BENCH_HEADERS") or "{}")

    @task
    def call(self) -> None:
        with self.client.get(self.path, headers=self.headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
