package io.reliabletx.operator.pipeline.spec;

/** The Job that creates the topics (it runs spec.pipelineAdmin.image): its pod settings. */
public class TopicsJobSpec extends PodSettings {
}
