package io.reliabletx.operator.pipeline.spec;

/** The Job that creates the topics (it runs the broker's image): only its pod settings are configurable. */
public class TopicsJobSpec extends PodSettings {
}
