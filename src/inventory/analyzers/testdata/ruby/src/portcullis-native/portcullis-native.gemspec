Gem::Specification.new do |spec|
  spec.name = "portcullis-native"
  spec.version = "2.0.0.pre.1"
  spec.platform = "x86_64-linux"
  spec.summary = "Portcullis test fixture gem built for one platform"
  spec.authors = ["Portcullis fixture authors"]
  spec.license = "BSD-3-Clause"
  spec.files = ["lib/portcullis_native.rb"]
end
