#!/usr/bin/env python3
"""Where a JFR recording's CPU samples go, by component: for each jdk.ExecutionSample the innermost frame that
belongs to a known library (JDBC driver, RocketMQ client, Tomcat, Spring, Jackson, ...) takes the sample.

  jfr print --stack-depth 64 --events jdk.ExecutionSample order.jfr > samples.txt
  bench/src/main/jfr/breakdown.py samples.txt [--from HH:MM:SS --to HH:MM:SS] [--thread SUBSTRING]

Prints the share of each component, the threads, and the hottest top frames.
"""
import argparse
import collections
import re

COMPONENTS = [
    ("MySQL JDBC driver", r"com\.mysql\.cj"),
    ("HikariCP", r"com\.zaxxer"),
    ("MyBatis", r"org\.apache\.ibatis|org\.mybatis"),
    ("RocketMQ client", r"org\.apache\.rocketmq"),
    ("fastjson (RocketMQ's)", r"com\.alibaba\.fastjson"),
    ("Netty", r"io\.netty"),
    ("Jackson", r"com\.fasterxml\.jackson"),
    ("Hibernate Validator", r"org\.hibernate\.validator"),
    ("Micrometer (observations, metrics)", r"io\.micrometer"),
    ("logback/slf4j", r"ch\.qos\.logback|org\.slf4j"),
    ("Tomcat", r"org\.apache\.(coyote|catalina|tomcat)"),
    ("Spring (MVC, tx, beans)", r"org\.springframework"),
    ("our code (io.reliabletx)", r"io\.reliabletx"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("samples")
    ap.add_argument("--from", dest="start")
    ap.add_argument("--to", dest="end")
    ap.add_argument("--thread")
    a = ap.parse_args()
    text = open(a.samples, encoding="utf-8").read()
    by_component, by_thread, top = collections.Counter(), collections.Counter(), collections.Counter()
    for event in text.split("jdk.ExecutionSample {")[1:]:
        when = re.search(r"startTime = (\d\d:\d\d:\d\d)", event)
        if when and ((a.start and when.group(1) < a.start) or (a.end and when.group(1) > a.end)):
            continue
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        name = re.sub(r"\d+", "N", thread.group(1)) if thread else "?"
        if a.thread and a.thread not in name:
            continue
        stack = re.search(r"stackTrace = \[(.*?)\n\s*\]", event, re.S)
        if not stack:
            continue
        frames = [f.strip() for f in stack.group(1).strip().split("\n") if f.strip() and f.strip() != "..."]
        component = "JDK only"
        for frame in frames:
            hit = next((c for c, pattern in COMPONENTS if re.search(pattern, frame)), None)
            if hit:
                component = hit
                break
        by_component[component] += 1
        by_thread[name] += 1
        if frames:
            top[re.sub(r"\s+line:.*", "", frames[0])] += 1
    total = sum(by_component.values()) or 1
    print(f"{total} samples")
    for title, counter, n in (("component", by_component, 20), ("thread", by_thread, 10), ("top frame", top, 15)):
        print(f"\n{title}:")
        for key, count in counter.most_common(n):
            print(f"  {count:6d} {100 * count / total:5.1f} %  {key}")


if __name__ == "__main__":
    main()
