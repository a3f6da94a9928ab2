<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AccessibilityHooks</name>
    <message numerus="yes">
        <source>Confusion matrix; selected: true {0} read as {1}, %n digit(s)</source>
        <translation>
            <numerusform>Confusion matrix; selected: true {0} read as {1}, %n digit</numerusform>
            <numerusform>Confusion matrix; selected: true {0} read as {1}, %n digits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Confusion matrix; selected: every true {0}, %n digit(s)</source>
        <translation>
            <numerusform>Confusion matrix; selected: every true {0}, %n digit</numerusform>
            <numerusform>Confusion matrix; selected: every true {0}, %n digits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Confusion matrix; selected: everything read as {0}, %n digit(s)</source>
        <translation>
            <numerusform>Confusion matrix; selected: everything read as {0}, %n digit</numerusform>
            <numerusform>Confusion matrix; selected: everything read as {0}, %n digits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Skipped %n model file(s) that cannot be read: {0}</source>
        <translation>
            <numerusform>Skipped %n model file that cannot be read: {0}</numerusform>
            <numerusform>Skipped %n model files that cannot be read: {0}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResultsBrowser</name>
    <message numerus="yes">
        <source>%n image(s): {0}, most confident first</source>
        <translation>
            <numerusform>%n image: {0}, most confident first</numerusform>
            <numerusform>%n images: {0}, most confident first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n epoch</numerusform>
            <numerusform>%n epochs</numerusform>
        </translation>
    </message>
</context>
</TS>
